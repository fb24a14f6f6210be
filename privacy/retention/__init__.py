"""The retention schedule at work (issue 13, section 2): `events` gives the record kinds
apps register (`<app>/privacy_retention.py`) the dates their periods count from and the
way to remove uploaded files once a batch has committed; `engine` runs a school's
confirmed schedule (a dry run counts, a real run deletes or anonymises in batches);
`services` confirms the schedule, places and lifts legal holds and starts runs;
`selectors` reads what the pages show; `tasks` is the nightly Celery job."""
