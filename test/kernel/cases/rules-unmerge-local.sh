# Until the first ip rule, local and main are one trie: a /32 in main beats local 127.0.0.0/8,
# and once a rule was added (even after it is deleted again) the local table wins.
# Without custom rules local and main share one trie; with rules they do not.
ip link set lo up
ip link add eth0 type veth peer name eth1
ip link set eth0 up
ip link set eth1 up
ip addr add 10.0.0.1/24 dev eth0
ip route add 127.0.0.5/32 via 10.0.0.2
ip route get 127.0.0.5
ip route add blackhole 10.50.0.0/16
ip route get 10.50.0.1
ip route add default via 10.0.0.2 table default
ip route get 10.50.0.1
ip route add 10.0.0.1/32 via 10.0.0.2
ip route get 10.0.0.1
ip rule add to 198.51.100.0/24 table 100
ip rule show
ip route get 127.0.0.5
ip route get 10.50.0.1
ip route get 10.0.0.1
ip rule del to 198.51.100.0/24 table 100
ip rule show
ip route get 127.0.0.5
ip route get 10.50.0.1
