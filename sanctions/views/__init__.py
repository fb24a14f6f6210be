"""The sanctions pages, by area: misses, dashboard (and the pupil timeline), detentions,
exclusions, meetings, policy, deliveries, commendations."""
