"""Open data: published ratings as JSON and CSV, an Atom feed, and the OpenAPI document."""
