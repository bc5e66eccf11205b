"""Chat intake bot for grassroots conflict-and-dispute resolution centres."""
