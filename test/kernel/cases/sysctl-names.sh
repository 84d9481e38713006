# sysctl names and arguments as procps-ng reads them: a dotted name swaps dots and slashes, so
# the link v0.5 is conf.v0/5 and conf.v0.5 is no file; a name written as a path prints dotted.
# Without arguments sysctl prints its usage, and with options only it wants a variable.
# log_martians and send_redirects take their values, and proxy_arp and its kin read 0.
ip link add v0.5 type veth peer name v1
sysctl -w net.ipv4.conf.v0/5.rp_filter=2
sysctl -w net.ipv4.conf.v0.5.rp_filter=1
sysctl net.ipv4.conf.v0/5.rp_filter
sysctl -w net/ipv4/conf/v0.5/rp_filter=1
sysctl net/ipv4/conf/v0.5/rp_filter
cat /proc/sys/net/ipv4/conf/v0.5/rp_filter
sysctl -w net.ipv4.conf.v1/rp_filter=1
sysctl -w net.ipv4.conf.v1.rp_filter=1 net.ipv4.conf.v1.nosuch=1 net.ipv4.conf.v1.arp_ignore=2
sysctl net.ipv4.conf.v1.arp_ignore
sysctl -q -w net.ipv4.conf.v1.arp_ignore=1
sysctl -e -w net.ipv4.conf.v1.nosuch=1
sysctl -n net.ipv4.conf.v1.arp_ignore net.ipv4.ip_forward
sysctl
sysctl -w
sysctl -x
ip link add v0 type veth peer name v2
sysctl -w net.ipv4.conf.all.proxy_arp=0
sysctl -w net.ipv4.conf.v0.proxy_arp=0
sysctl net.ipv4.conf.v0.proxy_arp net.ipv4.conf.v0.arp_announce net.ipv4.conf.v0.arp_filter net.ipv4.conf.v0.route_localnet
sysctl -w net.ipv4.conf.all.send_redirects=0
sysctl -w net.ipv4.conf.all.log_martians=1
sysctl net.ipv4.conf.v0.send_redirects net.ipv4.conf.default.send_redirects net.ipv4.conf.v0.log_martians
sysctl -w net.ipv4.ip_forward =1
sysctl -w net.ipv4.conf.v0/forwarding=0
cat /proc/sys/net/ipv4/conf/v0/send_redirects
