"""Reads shaped for the homework pages, one module per area like views/ and urls/:
setting homework (the teacher's classes, their pupils, the workload panel), the pupil's
planner, marking (the marking queue and a homework's register), and compliance (the
frequency policy and the compliance report). Each read costs a fixed number of queries."""
