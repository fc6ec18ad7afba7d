"""Signal templates: reusable questions with versions."""
