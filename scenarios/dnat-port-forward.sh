# Port forwarding on the container-bridge layout, as `docker run -p 8080:80` sets it up: the
# host's uplink address 172.31.59.121, port 8080, is forwarded to the web server in ns1
# (172.18.0.2, port 80). The client is "world" (198.51.100.2), behind the VPC router.
# Probes: the DNAT rule alone (the SYN is not forwarded), then forwarding on (the connection
# reaches a listener that sees the client's real address), then no listener (a reset, which
# conntrack translates back), then the host's own connection (nat OUTPUT, not PREROUTING).
mount -t tmpfs tmpfs /tmp
ip netns add vpc
ip netns add world
ip link add ens5 type veth peer name vpc0 netns vpc
ip addr add 172.31.59.121/20 dev ens5
ip link set ens5 up
ip netns exec vpc ip addr add 172.31.48.1/20 dev vpc0
ip netns exec vpc ip link set vpc0 up
ip netns exec vpc ip link add wan0 type veth peer name eth0 netns world
ip netns exec vpc ip addr add 198.51.100.1/24 dev wan0
ip netns exec vpc ip link set wan0 up
ip netns exec vpc sysctl -qw net.ipv4.ip_forward=1
ip netns exec world ip addr add 198.51.100.2/24 dev eth0
ip netns exec world ip link set eth0 up
ip netns exec world ip route add default via 198.51.100.1
ip route add default via 172.31.48.1 dev ens5
# The container on its bridge.
ip netns add ns1
ip link add veth0 type veth peer name veth0-br
ip link set veth0 netns ns1
ip link add docker1 type bridge
ip link set docker1 up
ip link set veth0-br master docker1
ip link set veth0-br up
ip addr add 172.18.0.1/24 dev docker1
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns1 ip link set veth0 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip route add default via 172.18.0.1
# What `-p 8080:80` adds: outgoing MASQUERADE and the port forward.
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE
iptables -t nat -A PREROUTING -d 172.31.59.121/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
# The rule alone: the rewritten SYN must be forwarded to docker1, and forwarding is off.
ip netns exec world nc -z -v -w 2 172.31.59.121 8080
sysctl -w net.ipv4.ip_forward=1
# A web server in ns1 that accepts one connection and ends within 5 s.
ip netns exec ns1 timeout 5 nc -l 80 >/tmp/ns1-got.txt 2>&1 & sleep 0.5
echo hello-from-world | ip netns exec world nc -N -w 2 172.31.59.121 8080
sleep 0.5; cat /tmp/ns1-got.txt
conntrack -L -p tcp
# No listener on ns1:80 any more: ns1 sends a reset, which conntrack translates back to :8080.
ip netns exec world nc -z -v -w 2 172.31.59.121 8080
# The host's own connection skips PREROUTING, so the forward needs a nat OUTPUT rule too.
ip netns exec ns1 timeout 5 nc -l -k 80 >/dev/null 2>&1 & echo $! >/tmp/web.pid; sleep 0.5
nc -z -v -w 2 172.31.59.121 8080
iptables -t nat -A OUTPUT -d 172.31.59.121/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
nc -z -v -w 2 172.31.59.121 8080
iptables -t nat -L -n -v
kill $(cat /tmp/web.pid)
