"""Infrastructure shared by every domain package."""
