"""Critical-minerals supply planner."""
