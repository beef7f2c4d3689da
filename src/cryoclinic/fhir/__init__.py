"""FHIR R4 export of a client's record (a `collection` Bundle built and validated with `fhir.resources.R4B`).

No models: it reads the clients, scheduling and treatments records and the knowledge base, and writes nothing
but the audit event of each download.
"""
