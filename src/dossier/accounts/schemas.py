from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Credits(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    remainingCredits: int
