# A rule that selects the source connect() picked: the second lookup, from that source, finds
# the route of the rule's table, so ping, nc and traceroute fail at once with its errno.
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip rule add from 10.0.0.1 table 8
ip route add unreachable 192.0.2.0/24 table 8
ip route add 192.0.2.0/24 via 10.0.0.2
ip route get 192.0.2.5
ip route get 192.0.2.5 from 10.0.0.1
ping -c 1 -W 1 192.0.2.5
nc -z -w 1 192.0.2.5 80
traceroute -n -q 1 -w 1 -m 2 192.0.2.5
ping -c 1 -W 1 -I 10.0.0.1 192.0.2.5
ip route change prohibit 192.0.2.0/24 table 8
ping -c 1 -W 1 192.0.2.5
nc -v -z -w 1 192.0.2.5 80
nc -u -v -z -w 1 192.0.2.5 53
traceroute -n -q 1 -w 1 -m 2 192.0.2.5
ip route change blackhole 192.0.2.0/24 table 8
ping -c 1 -W 1 192.0.2.5
nc -v -z -w 1 192.0.2.5 80
traceroute -n -q 1 -w 1 -m 2 -I 192.0.2.5
