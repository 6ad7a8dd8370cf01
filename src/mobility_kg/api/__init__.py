"""HTTP front end: FastAPI app factory, routes, problem+json errors. Nothing imports it."""
