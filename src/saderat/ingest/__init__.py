"""Ingest: read a source file, normalise, validate every row, and hand accepted facts to the warehouse.

``readers`` holds one reader per source layout (registered, chosen by sniffing the header);
``validate`` turns raw rows into fact rows or rejections; ``pipeline`` runs the whole thing without
touching any database, so that it can be tested and scripted on its own.
"""
