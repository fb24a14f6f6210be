"""Who looked: the access log of staff opening a pupil's sensitive pages.

School's views mark a request (school/looked.py); middleware.py writes the marks as
AccessLogEntry rows once the response has been sent; selectors.py reads the log for the
data protection lead's pages (privacy/views/access_log.py), including unusual access."""
