# conntrack -L -p tcp --state STATE and -o extended. --state belongs to the tcp extension that
# -p tcp loads, so before -p tcp or after another -p it is an unknown option; the state name is
# compared case-sensitively. -o extended prefixes each entry with the family name and number,
# as /proc/net/nf_conntrack does, an unknown format is a bad parameter, and -C rejects -o.
# b listens on port 80 and drops INVALID packets; a connects, connects to a missing host and
# pings.
ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec b ip link set lo up
ip netns exec b iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
ip netns exec b timeout 5 nc -l -k 80 >/dev/null 2>&1 & sleep 0.5
ip netns exec a nc -z -w 1 10.0.0.2 80
ip netns exec a nc -z -w 1 10.0.0.9 80
ip netns exec a ping -c 1 -W 1 10.0.0.2
ip netns exec b conntrack -L -p tcp --state TIME_WAIT
ip netns exec b conntrack -L -p tcp --state ESTABLISHED
ip netns exec b conntrack -L -p tcp --state time_wait
ip netns exec b conntrack -L -p tcp --state BOGUS
ip netns exec b conntrack -L -p tcp --state
ip netns exec b conntrack -L -p udp --state TIME_WAIT
ip netns exec b conntrack -L --state TIME_WAIT -p tcp
ip netns exec b conntrack -D -p tcp --state TIME_WAIT
ip netns exec b conntrack -L -o extended
ip netns exec b conntrack -L -o bogus
ip netns exec b conntrack -L -p tcp -o extended
ip netns exec b conntrack -C -o extended
