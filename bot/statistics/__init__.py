"""Anonymous statistics: counts per day × role × topic × substance × outcome, never text or ids."""
