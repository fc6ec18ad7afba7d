"""Finding one person's name in text (research/analyze/names.py)."""

from __future__ import annotations

from dossier.research.analyze.names import PersonName, about_person, first_name_forms

DANIEL = PersonName("Daniel", "Okafor")


def test_full_name_in_any_case_and_accents_with_short_forms_and_a_middle_initial():
    assert DANIEL.named_in("by daniel okafor vp")
    assert DANIEL.named_in("dan okafor") and DANIEL.named_in("danny okafor") and DANIEL.named_in("daniel j okafor")
    assert not DANIEL.named_in("dana okafor") and not DANIEL.named_in("daniel okaforson")
    assert PersonName("Inês", "Sørensen").lines_naming("Team\nINES SORENSEN\nCEO") == [1]
    assert "bob" in first_name_forms("Robert") and "robert" in first_name_forms("Bob")


def test_initials_and_the_last_name_alone_count_only_without_a_rival_of_that_surname():
    text = "Marlowe appoints Daniel Okafor as VP\nOkafor joins from Quillstone\nsaid Rosa Delgado\nD. Okafor wrote"
    assert DANIEL.lines_naming(text) == [0, 1, 3]
    assert DANIEL.lines_naming(text + "\nDana Okafor leads sales") == [0]
    # Nobody named in full: a surname alone could be anyone.
    assert DANIEL.lines_naming("Okafor joins from Quillstone") == []


def test_context_stops_at_the_next_person():
    text = "Daniel Okafor\nVP of Engineering\nDaniel leads the platform.\nElena Petrova\nHead of Data Science"
    assert DANIEL.context(text, {"elena petrova"}) == [
        "Daniel Okafor", "VP of Engineering", "Daniel leads the platform."
    ]  # fmt: skip


def test_questions_name_their_person():
    assert about_person("What is the contact's role?", "Jane Doe") == "What is Jane Doe's role?"
    assert about_person("Does she write about Kafka?", "Jane Doe") == "Does Jane Doe write about Kafka?"
    assert about_person("Where is their office?", "Jane Doe") == "Where is Jane Doe's office?"


def test_the_last_name_alone_counts_only_within_their_own_run_of_lines():
    """On a team page "Slack" in another member's bio is the chat tool, not Quinn Slack: a bare last name counts
    only after their full name and before the next person named."""
    quinn = PersonName("Quinn", "Slack")
    page = "Quinn Slack\nBoard Member\nSlack chairs the board.\nAlex Ren\nShe runs virtual events through Slack.\n"
    assert quinn.lines_naming(page, {"alex ren"}) == [0, 2]
    assert quinn.context(page, {"alex ren"}) == ["Quinn Slack", "Board Member", "Slack chairs the board."]
