-- A running newline count per log chunk: the line number at an offset becomes a look-up instead of
-- counting newlines over every earlier chunk.
ALTER TABLE "job_log_chunks" ADD COLUMN "newlines_end" INTEGER;

-- Backfill: newlines per chunk (encode(…, 'escape') keeps 0x0a as a literal newline), summed in
-- offset order per job.
UPDATE "job_log_chunks" AS c SET "newlines_end" = s.n
FROM (
    SELECT "job_id", "offset",
           (sum(length(e) - length(replace(e, E'\n', ''))) OVER (PARTITION BY "job_id" ORDER BY "offset"))::integer AS n
    FROM (SELECT "job_id", "offset", encode("data", 'escape') AS e FROM "job_log_chunks") AS x
) AS s
WHERE c."job_id" = s."job_id" AND c."offset" = s."offset";

ALTER TABLE "job_log_chunks" ALTER COLUMN "newlines_end" SET NOT NULL;
