"""briefgen annotate: notes to and from W3C Web Annotations and Hypothesis."""
