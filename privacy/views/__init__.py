"""The data protection lead's pages, by area: people (find a pupil or guardian; their
page gathers each area's panel), exports (subject access), retention (schedule, holds,
runs), access_log (who looked), erasure (a guardian forgotten, the change history),
notice (the privacy notice). common.py says who may open them."""
