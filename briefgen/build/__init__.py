"""`briefgen build`: the pipeline, top to bottom, and the worker processes it uses."""
