# conntrack option spellings and errors around one masqueraded ping: ns1 (10.0.1.2)
# behind the host (10.0.1.1 / 192.0.2.1) to "world" (192.0.2.2). Probes: short and long
# address options, the reply-direction filters, -p by number, -f, an explicit table name,
# inet_aton-style partial addresses, and the errors for a missing argument, two commands,
# filters with -C and -F, and an invalid address.
ip netns add ns1
ip netns add world
ip link add h1 type veth peer name a1 netns ns1
ip link add h2 type veth peer name w2 netns world
ip addr add 10.0.1.1/24 dev h1
ip addr add 192.0.2.1/24 dev h2
ip link set h1 up
ip link set h2 up
ip netns exec ns1 ip addr add 10.0.1.2/24 dev a1
ip netns exec ns1 ip link set a1 up
ip netns exec ns1 ip route add default via 10.0.1.1
ip netns exec world ip addr add 192.0.2.2/24 dev w2
ip netns exec world ip link set w2 up
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 10.0.1.0/24 -o h2 -j MASQUERADE
ip netns exec ns1 ping -c 1 -W 1 192.0.2.2
conntrack -L -s 10.0.1.2
conntrack -L --src 10.0.1.2 -d 192.0.2.2
conntrack -L --dst 192.0.2.1
conntrack -L -r 192.0.2.2
conntrack -L --reply-src 192.0.2.2 --reply-dst 192.0.2.1
conntrack -L -q 10.0.1.2
conntrack -L -p 1
conntrack -L -p 6
conntrack -L --protonum icmp
conntrack -L -f ipv4
conntrack -L -f ipv6
conntrack -L conntrack
conntrack -L -s 10.258
conntrack --dump -p icmp
conntrack --count
conntrack -L -p
conntrack -L --orig-src
conntrack -L -L
conntrack -L -C
conntrack -C -p icmp
conntrack -F --orig-src 10.0.1.2
conntrack -L --orig-src 1.2.x
conntrack -L --orig-src 10.0.1.256
conntrack -D -s 10.0.1.2 -p icmp
conntrack --flush
