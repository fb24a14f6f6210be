"""The school's privacy notice for parents and pupils: the school's own words in each of
the parents' languages (selectors.py, services.py), the product's template until it has
written them (default.py), and what the product holds and for how long, filled from the
retention schedule."""
