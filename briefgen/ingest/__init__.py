"""`briefgen import`: raw seed articles cleaned into articles with sidecar skeletons."""
