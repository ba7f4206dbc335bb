"""The years the portal counts in, for every app: from the convention's first year to a
far bound, so that a year typed in a form or a URL never reaches the database out of
range."""

FIRST_YEAR = 2006  # the convention was signed on 7 June 2006
LAST_YEAR = 2100
