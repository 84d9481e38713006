# ping -m MARK sets the socket mark (SO_MARK), so the probe's route lookups see the mark and an
# "ip rule fwmark" rule selects its table: router r reaches 203.0.113.9 (on lo of both a and
# b) through a in table main, and table 7 has an unreachable route, then a route through b.
# iputils 20221126 reads the mark as a decimal from 0 to 4294967295, with the same messages
# as its other numeric options. b counts the echo requests it receives with a rule without a
# target.
ip netns add r
ip netns add a
ip netns add b
ip link add ra netns r type veth peer name e0 netns a
ip link add rb netns r type veth peer name e0 netns b
ip netns exec r ip addr add 10.1.0.1/24 dev ra
ip netns exec r ip addr add 10.2.0.1/24 dev rb
ip netns exec a ip addr add 10.1.0.2/24 dev e0
ip netns exec b ip addr add 10.2.0.2/24 dev e0
ip netns exec r ip link set ra up
ip netns exec r ip link set rb up
ip netns exec a ip link set e0 up
ip netns exec b ip link set e0 up
ip netns exec a ip addr add 203.0.113.9/32 dev lo
ip netns exec b ip addr add 203.0.113.9/32 dev lo
ip netns exec a ip link set lo up
ip netns exec b ip link set lo up
ip netns exec a ip route add default via 10.1.0.1
ip netns exec b ip route add default via 10.2.0.1
ip netns exec b iptables -A INPUT -p icmp
ip netns exec r ip route add 203.0.113.9/32 via 10.1.0.2
ip netns exec r ip route add unreachable 203.0.113.9/32 table 7
ip netns exec r ip rule add fwmark 7 lookup 7
ip netns exec r ping -c 1 -W 1 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m 7 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m 8 203.0.113.9
ip netns exec r ip route replace 203.0.113.9/32 via 10.2.0.2 table 7
ip netns exec r ping -c 1 -W 1 -m7 203.0.113.9
ip netns exec b iptables -L INPUT -n -v -x
ip netns exec r ping -c 1 -W 1 -m 0x7 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m -1 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m abc 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m 4294967303 203.0.113.9
ip netns exec r ping -c 1 -W 1 -m 203.0.113.9
