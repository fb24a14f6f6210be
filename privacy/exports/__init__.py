"""Subject access exports (issue 13, section 1): starting one for a pupil or a guardian
(services.py), building its ZIP in the background from the sections every app registers
(build.py, with third-party names taken out by context.py), downloading it once and
expiring the ones never downloaded (services.py), and the reads the pages need
(selectors.py)."""
