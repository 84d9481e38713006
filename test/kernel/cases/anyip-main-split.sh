# An AnyIP prefix in main, after a rule splits the local and main tables. Packets to it are
# delivered, but nothing can leave from it, because the route lookup accepts a source only when
# it is an address or local in the local table. So pings get no reply and UDP probes no error.
ip netns add ns2
ip link add v0 type veth peer name eth0 netns ns2
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip netns exec ns2 ip addr add 192.0.2.2/24 dev eth0
ip netns exec ns2 ip link set eth0 up
ip netns exec ns2 ip route add default via 192.0.2.1
ip route add local 203.0.113.128/26 dev lo table main
ip netns exec ns2 ping -c 1 -W 1 203.0.113.130
ip rule add pref 100 lookup main
ip netns exec ns2 ping -c 1 -W 1 203.0.113.131
ip netns exec ns2 traceroute -n -q 1 -w 1 -m 1 203.0.113.132
iptables -A INPUT -d 203.0.113.134 -j REJECT
ip netns exec ns2 ping -c 1 -W 1 203.0.113.134
