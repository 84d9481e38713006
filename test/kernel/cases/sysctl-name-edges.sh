# More sysctl names as procps-ng reads them: a leading separator is dropped, repeated ones
# count once with a warning, a path below a file is not a directory, a name to read is not
# trimmed, and ls lists a link named v0.5 as one directory.
ip link add v0.5 type veth peer name v1
sysctl net.ipv4.conf.v0/5.rp_filter
sysctl net/ipv4/conf/v0.5/rp_filter
sysctl -w net.ipv4.conf.v0/5.rp_filter=2
sysctl net.ipv4.conf.v0.5.rp_filter
sysctl net/ipv4/ip_forward
sysctl net.ipv4/ip_forward
sysctl net/ipv4.ip_forward
sysctl -w net/ipv4/ip_forward=1
sysctl .net.ipv4.ip_forward
sysctl net..ipv4.ip_forward
sysctl net.ipv4.ip_forward.
sysctl /net/ipv4/ip_forward
sysctl ""
sysctl =1
sysctl " net.ipv4.ip_forward"
sysctl net.ipv4.conf.all.send_redirects net.ipv4.conf.all.log_martians net.ipv4.conf.all.proxy_arp
sysctl net.ipv4.conf.default.arp_announce net.ipv4.conf.lo.arp_filter net.ipv4.conf.lo.route_localnet
sysctl -w net.ipv4.conf.all.log_martians=1
sysctl -w net.ipv4.conf.all.send_redirects=0
sysctl -w net.ipv4.conf.all.proxy_arp=0
sysctl -w net.ipv4.conf.all.send_redirects=abc
sysctl -w net.ipv4.conf.v1.log_martians=2
sysctl net.ipv4.conf.v1.log_martians
sysctl -w net.ipv4.conf.lo.send_redirects=-1
sysctl net.ipv4.conf.lo.send_redirects
sysctl
sysctl -q
sysctl -o net.ipv4.ip_forward
sysctl -x net.ipv4.ip_forward
sysctl -n net.ipv4.conf.nosuch.rp_filter
cat /proc/sys/net/ipv4/conf/v0.5/rp_filter
cat /proc/sys/net/ipv4/conf/v0/5/rp_filter
echo 1 > /proc/sys/net/ipv4/conf/v0.5/log_martians
cat /proc/sys/net/ipv4/conf/v0.5/log_martians
ls /proc/sys/net/ipv4/conf/
