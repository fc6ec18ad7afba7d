"""Company and contact signals: typed questions with answers, confidence and sources."""
