"""person search bits: a block whose last bit is cleared is removed

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 10:20:00.000000

0021's trigger cleared the bits of deleted postings and kept the block, so every word a re-import or a removal
took from all the documents of a block left a row of zeros behind (2 kB for a dense block, a few dozen bytes
compressed): counted over like any block and never reused unless a document of that block took the word again.
The trigger now deletes the blocks its update left empty, in a second statement (a statement cannot delete a row
its own WITH clause updated), on the rows the update already locked; the empty blocks stored are removed here.
An empty block and a missing one count the same (contacts.repository reads a missing word's block as zeros).
PostgreSQL only: SQLite keeps no bits.
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_SHIFT = 14
_BLOCK = 1 << _SHIFT
_ZERO = f"repeat('0', {_BLOCK})::bit varying"

# The blocks of the deleted postings, as 0021 computes them (one row per word and block, in key order).
_GONE = (
    f"SELECT word_id, (doc_id >> {_SHIFT})::int AS block, "
    f"(SELECT bit_or(set_bit({_ZERO}, (d & {_BLOCK - 1})::int, 1)) FROM unnest(array_agg(doc_id)) AS d) AS bits "
    f"FROM removed GROUP BY 1, 2 ORDER BY 1, 2"
)

_CLEAR = f"""
    WITH gone AS ({_GONE}),
    locked AS (
        SELECT b.word_id, b.block FROM person_search_bits b JOIN gone g USING (word_id, block)
        ORDER BY b.word_id, b.block FOR UPDATE OF b
    )
    UPDATE person_search_bits b SET bits = b.bits & ~g.bits
    FROM gone g JOIN locked l USING (word_id, block)
    WHERE b.word_id = g.word_id AND b.block = g.block;"""

_DROP_EMPTY = f"""
    DELETE FROM person_search_bits b
    USING (SELECT DISTINCT word_id, (doc_id >> {_SHIFT})::int AS block FROM removed) g
    WHERE b.word_id = g.word_id AND b.block = g.block AND bit_count(b.bits) = 0;"""


def _function(body: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION person_search_bits_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{body}
    RETURN NULL;
END $$;"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_function(_CLEAR + _DROP_EMPTY))
    op.execute("DELETE FROM person_search_bits WHERE bit_count(bits) = 0")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_function(_CLEAR))
