"""`briefgen serve`: the dev server, its watcher, request routing and live reload."""
