"use client";
/** Pipeline duration and success-rate charts (recharts). Data comes prepared from the server. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export interface DurationPoint {
  label: string;
  minutes: number;
  status: string;
}
export interface DayPoint {
  day: string;
  success: number;
  failed: number;
  other: number;
}

const axis = { stroke: "#8c8b91", fontSize: 12 };

export function DurationChart({ data }: { data: DurationPoint[] }) {
  return (
    <div className="h-64" role="img" aria-label="Pipeline durations in minutes, oldest to newest">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#8c8b9133" />
          <XAxis dataKey="label" {...axis} />
          <YAxis {...axis} unit=" min" />
          <Tooltip />
          <Line type="monotone" dataKey="minutes" name="Duration (min)" stroke="#6b4fbb" dot={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SuccessChart({ data }: { data: DayPoint[] }) {
  return (
    <div className="h-64" role="img" aria-label="Pipelines per day by outcome">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#8c8b9133" />
          <XAxis dataKey="day" {...axis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip />
          <Legend />
          <Bar dataKey="success" name="Passed" stackId="a" fill="#108548" />
          <Bar dataKey="failed" name="Failed" stackId="a" fill="#dd2b0e" />
          <Bar dataKey="other" name="Other" stackId="a" fill="#8c8b91" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
