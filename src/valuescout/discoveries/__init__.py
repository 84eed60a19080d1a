"""Value-scout discoveries: value gaps found by anyone customer-facing, reviewed into the
value network."""
