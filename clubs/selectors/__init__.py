"""Reads shaped for the clubs pages, one module per area like services/, views/ and urls/
(sessions and bookings, rota, register, take-up), each in a fixed number of queries."""
