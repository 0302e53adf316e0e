"""Check: returns merged onto the register (statuses carried forward), the narrative checked."""
