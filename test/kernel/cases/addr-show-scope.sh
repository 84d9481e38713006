# ip addr show scope SCOPE keeps the addresses of that scope (iproute2 ipaddr_filter and
# print_selected_addrinfo): a link with addresses but none in scope is left out, and a link
# without any address stays, unless -4 requests a family. The scope is a name of rt_scopes
# (global, site, link, host, nowhere) or a number; "all" filters nothing. Links: lo, br0 (up,
# 10.10.0.1/24 and a link-scope 169.254.1.1/16), v1 (a bridge port, up, no IPv4), v2 (down,
# no address at all).
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.10.0.1/24 dev br0
ip addr add 169.254.1.1/16 dev br0 scope link
ip link add v1 type veth peer name v1p
ip link set v1 master br0
ip link set v1 up
ip link set v1p up
ip link add v2 type veth peer name v2p
sleep 3
ip addr show scope global
ip -4 addr show scope global
ip addr show scope link
ip -4 addr show scope link
ip addr show scope host
ip -4 addr show scope 254
ip addr show scope 0
ip addr show scope site
ip addr show scope all
ip addr show dev br0 scope link
ip -o addr show scope global
ip -br addr show scope link
ip -4 -br addr show scope global
ip addr show scope bogus
ip addr show scope
ip addr show up scope host
