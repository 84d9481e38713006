# A route lookup with a source accepts it only when it is an address of the namespace or local
# in the local table, which contains main's routes too until `ip rule` splits them. A connect()
# looks up the route twice, the second time from the source the first chose, so once the tables
# are split the host's own ping, traceroute and nc to an AnyIP prefix in main fail with
# "Network is unreachable", and a closed port there sends no reset.
ip netns add ns2
ip link add v0 type veth peer name eth0 netns ns2
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip link set lo up
ip netns exec ns2 ip addr add 192.0.2.2/24 dev eth0
ip netns exec ns2 ip link set eth0 up
ip netns exec ns2 ip route add default via 192.0.2.1
ip route get 192.0.2.7 from 192.0.2.99
ip route get 192.0.2.7 from 192.0.2.1
ip route add local 203.0.113.128/26 dev lo table main
ip route get 192.0.2.7 from 203.0.113.130
ping -c 1 -W 1 203.0.113.135
nc -z -v -w 1 203.0.113.136 80
ip netns exec ns2 traceroute -n -T -q 1 -w 1 -m 1 203.0.113.131
ip rule add pref 100 lookup main
ip route get 192.0.2.7 from 203.0.113.130
ip route get 203.0.113.131
ip route get 203.0.113.131 from 203.0.113.131
ping -c 1 -W 1 203.0.113.135
nc -z -v -w 1 203.0.113.136 80
traceroute -n -q 1 -w 1 -m 1 203.0.113.138
traceroute -n -I -q 1 -w 1 -m 1 203.0.113.138
ping -c 1 -W 1 -I 192.0.2.1 203.0.113.135
ip netns exec ns2 traceroute -n -T -q 1 -w 1 -m 1 203.0.113.132
ip netns exec ns2 traceroute -n -T -q 1 -w 1 -m 1 -p 80 203.0.113.133
