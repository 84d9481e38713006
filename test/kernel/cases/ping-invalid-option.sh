# ping rejects a letter iputils does not know with getopt's message and its usage text, exit 2.
ping -c 1 -W 1 -x 127.0.0.1
ping -g
