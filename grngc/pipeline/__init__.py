"""The pipeline's side in Python: validating its config and dataset sheet (:mod:`.sheet`) and the cluster
resources of a job from the size of its data (:mod:`.resources`). The rules themselves are in ``workflow/``."""
