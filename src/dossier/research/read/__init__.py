"""The offline reader: question parsing, typed candidates, polarity, scoring."""
