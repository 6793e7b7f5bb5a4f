"""Tomorrow's van: what each technician's appointments take, against what the van holds."""
