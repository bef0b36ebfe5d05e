"""Where to connect and with which credentials: config.toml, the credential sources, the precedence.

``config_file`` parses config.toml, ``sources`` reads each credential source, ``endpoints`` holds
the URL, region and loopback rules, ``resolve`` applies the precedence and builds the client.
``profiles`` switches place in a running app and ``config_writer`` saves profiles. No Textual here.
"""
