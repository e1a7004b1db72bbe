# The data tests/rt/rt.sh gives `rt-setup-database --action init --datafile`: RT's own
# initial data, then the test queues, the privileged user racine with the rights it needs
# on them (create, see, comment, change status) and an auth token for it. RT evaluates
# this file in the package of its @Queues, @Users, @ACL and @Final (RT::Handle).
# Read from the environment:
#   RACINE_RT_QUEUES      the queue names, one a line
#   RACINE_RT_PASSWORD    racine's password
#   RACINE_RT_TOKEN_FILE  where the token ("1-ID-SECRET") is written
use strict;
use warnings;
our ( @Queues, @Users, @ACL, @Final );

my $core = "$RT::EtcPath/initialdata";
do $core or die "could not load $core: " . ( $@ || $! );

my @queues = grep { length } split /\n/, $ENV{RACINE_RT_QUEUES} // '';
die "RACINE_RT_QUEUES names no queue\n" unless @queues;

push @Queues, map {
    { Name => $_, Description => 'racine tests', CorrespondAddress => '', CommentAddress => '' }
} @queues;

# No e-mail address: RT's notification scrips then have no one to write to.
push @Users, {
    Name       => 'racine',
    RealName   => 'racine',
    Password   => $ENV{RACINE_RT_PASSWORD},
    Privileged => 1,
    Comments   => 'racine tests',
};

# CommentOnTicket (or ModifyTicket) for comments, ModifyTicket for a status change (the
# default lifecycle's '* -> *'), ShowTicketComments to read comments back in a history.
my @rights = qw(SeeQueue ShowTicket CreateTicket ReplyToTicket CommentOnTicket
  ShowTicketComments ModifyTicket);
push @ACL, map { { UserId => 'racine', Queue => $_, Right => [@rights] } } @queues;

push @Final, sub {
    my $user = RT::User->new( RT->SystemUser );
    $user->Load('racine');
    die "user racine is missing\n" unless $user->Id;
    my $token = RT::AuthToken->new( RT->SystemUser );
    my ( $id, $msg, $auth ) = $token->Create( Owner => $user->Id, Description => 'racine tests' );
    die "auth token: $msg\n" unless $id;
    open my $fh, '>', $ENV{RACINE_RT_TOKEN_FILE} or die "$ENV{RACINE_RT_TOKEN_FILE}: $!\n";
    print {$fh} "$auth\n";
    close $fh or die "$ENV{RACINE_RT_TOKEN_FILE}: $!\n";
};

1;
