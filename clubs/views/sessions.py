"""Clubs, their sessions and pupils' bookings (and teachers' study sessions)."""
