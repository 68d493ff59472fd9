"""What a person looks at: figures (:mod:`.plots`), markdown and HTML tables (:mod:`.tables`) and the
interactive network page (:mod:`.network_page`, with vis-network in ``static/``)."""
