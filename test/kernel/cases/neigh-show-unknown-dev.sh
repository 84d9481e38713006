# ip neigh show and flush name an unknown device as the set commands do, with exit 1.
ip neigh show dev nosuch
ip neigh flush dev nosuch
ip link show dev nosuch
