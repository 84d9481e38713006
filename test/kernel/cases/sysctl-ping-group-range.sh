# ping_group_range holds two gids: its file is tab-separated, sysctl -w echoes the value as given.
sysctl net.ipv4.ping_group_range
sysctl -w net.ipv4.ping_group_range="0 2147483647"
sysctl net.ipv4.ping_group_range
sysctl -w net.ipv4.ping_group_range="a b"
sysctl -w net.ipv4.ping_group_range="0 4294967295"
sysctl -n net.ipv4.ping_group_range
