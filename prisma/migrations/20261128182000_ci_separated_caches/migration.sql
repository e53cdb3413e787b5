-- GitLab's ci_separated_caches: cache keys get -protected / -non_protected (default on).
ALTER TABLE "projects" ADD COLUMN "ci_separated_caches" BOOLEAN NOT NULL DEFAULT true;
