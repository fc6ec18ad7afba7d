"""Contact research (a report on one person), contact signals and contact search."""
