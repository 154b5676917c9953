"""Define every payload and query string once, as marshmallow schemas.

Each schema is the single definition of its rules: views load with it, and the OpenAPI
document at /api/v1/openapi.json is generated from it.
"""
