"""PDF reports: the unit annual report, the ranking notice, the competition notice."""
