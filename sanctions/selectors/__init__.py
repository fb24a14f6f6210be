"""Reads shaped for the sanctions pages, one module per area like services/, views/ and
urls/ (misses, dashboard with the pupil timeline, detentions and exclusion days,
meetings, policy, commendations), each in a fixed number of queries."""
