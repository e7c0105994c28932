"""Where frames come from: the source contract, the registry of source kinds, one module per kind.

Sources know nothing of layouts: a kind's factory takes plain options.
"""
